#!/usr/bin/env node
// The package's `roborisk` command (package.json "bin"): bin/cli.ts run through tsx, a runtime
// dependency. From a clone, `npm run cli -- <command> …` does the same.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
