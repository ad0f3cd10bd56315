// Moved to scripts/support (shipped scripts use it too); kept so existing test imports still work.
export * from '../../scripts/support/ses-local';
