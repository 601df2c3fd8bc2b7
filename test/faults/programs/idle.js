'use strict';
// Does nothing until stopped (normal background process).
const { args, lifetime } = require('./common');
lifetime(args());
setInterval(() => undefined, 60_000);
