import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'scratch/', 'demo-data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      // configuration is parsed once in config/ and handed down; nothing else reads the environment
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration from config/ (loadConfig) instead' }],
    },
  },
  { files: ['config/**', 'bin/**', 'bench/**'], rules: { 'no-restricted-properties': 'off' } },
);
