// Jest on Node 20 cannot require() an ES module, and @fastify/static 10 (served for the Swagger UI)
// requires content-disposition 3, which is ESM-only. Under jest only, this maps that import to
// content-disposition 1 (CommonJS), whose default export is v3's `create`. Production is unaffected:
// Node 20.19+ loads the real ESM package.
const contentDisposition = require('content-disposition-v1');
module.exports = { create: contentDisposition, parse: contentDisposition.parse };
