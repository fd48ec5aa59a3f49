import js from '@eslint/js';
import tseslint from 'typescript-eslint';


// Layers (docs/architecture.md): arrows point one way. domain/ is the bottom room every layer may
// import; it imports nothing of the project. Only db/ talks to knex.
const layer = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [
        { regex: `^(\\.\\./)+(${forbidden.join('|')})/`, message },
        ...(files[0].startsWith('db/') ? [] : [{ regex: '^knex$', message: 'only db/ imports knex' }]),
      ],
    }],
  },
});
const ALL = ['api', 'services', 'db', 'models', 'rules', 'reports', 'seeds', 'config', 'bin'];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'scratch/', 'demo-data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // configuration is parsed once in config/ and handed down; nothing else reads the environment
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration from config/ (loadConfig) instead' }],
    },
  },
  { files: ['config/**', 'bin/**', 'bench/**', 'scripts/**'], rules: { 'no-restricted-properties': 'off' } },
  // scripts/ are plain Node.js (they run before anything is compiled)
  { files: ['scripts/**/*.mjs'], languageOptions: { globals: { console: 'readonly' } } },
  layer(['domain/**'], ALL, 'domain/ is the bottom layer: it imports nothing of the project'),
  layer(['models/**'], ALL.filter((l) => l !== 'models'), 'models/ is pure mathematics: it imports only domain/'),
  layer(['db/**'], ['api', 'services', 'rules', 'reports', 'seeds', 'models', 'bin'], 'db/ imports only domain/ and config/'),
  layer(['rules/**'], ['api', 'services', 'db', 'reports', 'seeds', 'bin'], 'rules/ imports only domain/ and models/'),
  layer(['reports/**'], ['api', 'services', 'db', 'seeds', 'bin'], 'reports/ render what services/ hand them'),
  layer(['seeds/**'], ['api', 'services', 'db', 'bin'], 'seeds/ are data and generators; services/ load them'),
  layer(['services/**'], ['api', 'bin'], 'services/ never import the HTTP layer'),
  layer(['api/**'], ['bin', 'seeds', 'db/repositories'], 'api/ calls services/, never repositories or seeds'),
);
