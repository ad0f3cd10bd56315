#!/usr/bin/env node
// The package's `number-audit` command: loads the TypeScript CLI through tsx's CommonJS hook.
'use strict';
require('tsx/cjs/api').register();
require('../lambda/cli/main.ts').runFromProcess();
