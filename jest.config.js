/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  // bin/number-audit.js runs the bundle in dist/: built once here, before any test starts.
  globalSetup: '<rootDir>/test/cli/build-cli.global-setup.ts',
  setupFiles: ['<rootDir>/test/setup-env.js', '<rootDir>/test/setup-fast-check.js'],
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  testTimeout: 30000,
};
