module.exports = require('@issue-sync/jest-presets').createProject(__dirname);
