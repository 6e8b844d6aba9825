'use strict';
// nx release loads "@crossdock/nx/release/version-actions" (nx.json release.version.versionActions).
module.exports = require('../build/release/version-actions.js');
