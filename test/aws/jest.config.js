// `npm run test:aws`: the real template deployed into moto (an emulated AWS account), the real
// bundle run against it, the stand-ins' contract checked against moto, cfn-lint. Not part of
// `npm test`: it needs python3 with moto[server] and cfn-lint (docs/aws-emulation.md).
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/aws'],
  testMatch: ['**/*.aws-test.ts'],
  globalSetup: '<rootDir>/test/aws/global-setup.ts',
  globalTeardown: '<rootDir>/test/aws/global-teardown.ts',
  testTimeout: 60000,
};
