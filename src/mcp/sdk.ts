// The one door to the MCP SDK: the build bundles this module, with what it reaches of
// @modelcontextprotocol/sdk, into dist, so where the package is installed the server needs nothing more.
export { Server } from '@modelcontextprotocol/sdk/server/index.js';
export { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
export { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
export type { CallToolResult, Resource, Tool } from '@modelcontextprotocol/sdk/types.js';
export {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
