/**
 * Node test harness: runs a node's `execute`, `webhook` and `poll` through n8n-core's own
 * execution machinery, with credentials handled like n8n's CLI handles them and real HTTP
 * to the provider sandboxes. See README.md in this folder.
 */
export type { BinaryContent } from './binary';
export { binaryInput, readBinary, storedBinaryFiles } from './binary';
export type { HarnessCredential } from './credential-store';
export { CredentialStore } from './credential-store';
export { testCredential } from './credential-test';
export type { TestAuthStyle, TestCredentialTypeOptions } from './credential-types';
export { testCredentialType } from './credential-types';
export type { ExecuteOptions, ExecuteResult } from './execute';
export { runExecute } from './execute';
export type { FakeClock } from './fakes';
export { TEST_NODE, fakeClock } from './fakes';
export type { PollOptions } from './poll';
export { runPoll } from './poll';
export type { HarnessRequestContext, RequestContextOptions } from './request-context';
export { createRequestContext } from './request-context';
export type { Handler, ReceivedRequest, TestServer } from './test-server';
export { closedPortUrl, hangUp, json, silence, startTestServer, text } from './test-server';
export type { WebhookOptions, WebhookResult } from './webhook';
export { runWebhook } from './webhook';
export type { WebhookRequestInput } from './webhook-request';
export type { HarnessResponse } from './webhook-response';
export type { NodeRunOptions } from './workflow';
export { startWebhookBridge, type WebhookBridge } from './webhook-bridge';
