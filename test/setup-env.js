// Keep tests offline and quiet: dummy AWS credentials so no SDK client ever looks for real ones,
// and no Node-version banner from the SDK on Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID = 'test-access-key';
process.env.AWS_SECRET_ACCESS_KEY = 'test-secret-key';
process.env.AWS_REGION = process.env.AWS_REGION || 'eu-west-1';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.POWERTOOLS_DEV = process.env.POWERTOOLS_DEV || 'false';
