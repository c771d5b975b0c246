/**
 * Demo workflows (examples/*.json): the files users import, brought into n8n the way a user would, with each
 * credential reference bound to the instance's credential of the same type, and, on a release whose Data table node
 * cannot find a table by name (n8n 1.x), each Data table node bound to the table's ID, as a user picks it there.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { N8nClient, WorkflowJson } from './n8n';
import { examplesDir } from './paths';

export interface ImportedWorkflow {
	file: string;
	id: string;
	name: string;
	versionId: string;
	active: boolean;
	json: WorkflowJson;
	/** false when the workflow existed already (a re-run of `npm run dev`) and was kept as the user left it. */
	created: boolean;
	/** Trigger nodes whose Trusted Proxies option was set to the proxy on import (queue mode; `trustProxies`). */
	proxyTrustedBy?: string[];
}

export function readExample(file: string): WorkflowJson {
	return JSON.parse(readFileSync(join(examplesDir, file), 'utf8'));
}

/** Points every node's credential of type T at `credentials[T]` (by id and name). */
export function bindCredentials(workflow: WorkflowJson, credentials: Map<string, { id: string; name: string }>): WorkflowJson {
	const copy: WorkflowJson = JSON.parse(JSON.stringify(workflow));
	for (const node of copy.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) {
			const credential = credentials.get(type);
			if (!credential) throw new Error(`workflow "${copy.name}", node "${node.name}": no credential of type ${type} on this instance`);
			node.credentials[type] = { id: credential.id, name: credential.name };
		}
	}
	return copy;
}

const DATA_TABLE_NODE = 'n8n-nodes-base.dataTable';

/**
 * For releases whose Data table node finds tables by ID only (n8n 1.x: version 1, locator modes "list" and "id"):
 * every Data table node that names its table (`dataTableId` in mode "name") is pointed at that table of the instance
 * the way picking it from the list in the editor does (mode "list", the ID, the name cached), at typeVersion 1.
 * `tables` maps table names to IDs (the owner's project).
 */
export function bindDataTables(workflow: WorkflowJson, tables: Map<string, string>): WorkflowJson {
	const copy: WorkflowJson = JSON.parse(JSON.stringify(workflow));
	for (const node of copy.nodes) {
		if (node.type !== DATA_TABLE_NODE) continue;
		const locator = node.parameters?.dataTableId;
		if (locator && typeof locator === 'object' && locator.mode === 'name') {
			const name = String(locator.value);
			const id = tables.get(name);
			if (!id) throw new Error(`workflow "${copy.name}", node "${node.name}": no data table named "${name}" on this instance`);
			node.parameters.dataTableId = { __rl: true, mode: 'list', value: id, cachedResultName: name };
		}
		if (typeof node.typeVersion === 'number' && node.typeVersion > 1) node.typeVersion = 1;
	}
	return copy;
}

/**
 * Behind a reverse proxy (queue mode: lib/proxy.ts) every call reaches n8n from the proxy's address, so a trigger
 * that admits only some callers (this package's "Allowed IP Ranges", or the IDnow Trigger's "Allowed Callers") must
 * be told to believe the proxy's X-Forwarded-For: its Options → Trusted Proxies, as the node's own description says.
 * Sets it to `proxies` on every such trigger of this package and returns the names of the nodes it changed.
 */
export function trustProxies(workflow: WorkflowJson, packagePrefix: string, proxies: string): { workflow: WorkflowJson; changed: string[] } {
	const copy: WorkflowJson = JSON.parse(JSON.stringify(workflow));
	const changed: string[] = [];
	for (const node of copy.nodes) {
		if (typeof node.type !== 'string' || !node.type.startsWith(`${packagePrefix}.`)) continue;
		const parameters = (node.parameters ??= {});
		const options = parameters.options && typeof parameters.options === 'object' ? parameters.options : {};
		const allowlist = [parameters.allowedIpRanges, options.allowedIpRanges].some((ranges) => typeof ranges === 'string' && ranges.trim() !== '');
		const callerCheck = typeof parameters.callerCheck === 'string' && parameters.callerCheck !== 'off';
		if (!allowlist && !callerCheck) continue;
		parameters.options = { ...options, trustedProxies: proxies };
		changed.push(String(node.name));
	}
	return { workflow: copy, changed };
}

/**
 * Imports a demo workflow unless one of the same name exists (then it is kept: the user may have changed it).
 * With `activate`, the workflow is published (activated) so that its webhooks answer. With `dataTables` (name → ID),
 * its Data table nodes are bound to those tables by ID (`bindDataTables`: releases that cannot find them by name).
 * With `trustedProxies` (queue mode: the proxy's address), its caller-checking triggers believe that proxy
 * (`trustProxies`); `proxyTrustedBy` then names them.
 */
export async function importWorkflow(
	api: N8nClient,
	file: string,
	credentials: Map<string, { id: string; name: string }>,
	options: { activate: boolean; replace?: boolean; dataTables?: Map<string, string>; trustedProxies?: { packagePrefix: string; proxies: string } },
): Promise<ImportedWorkflow> {
	let json = bindCredentials(readExample(file), credentials);
	if (options.dataTables) json = bindDataTables(json, options.dataTables);
	let proxyTrustedBy: string[] = [];
	if (options.trustedProxies) {
		const trusted = trustProxies(json, options.trustedProxies.packagePrefix, options.trustedProxies.proxies);
		json = trusted.workflow;
		proxyTrustedBy = trusted.changed;
	}
	const existing = (await api.listWorkflows()).find((w) => w.name === json.name);
	if (existing && !options.replace) {
		let full = await api.getWorkflow(existing.id);
		if (options.activate && !full.active) {
			await api.activateWorkflow(full.id, full.versionId);
			full = await api.getWorkflow(existing.id);
		}
		return { file, id: full.id, name: full.name, versionId: full.versionId, active: full.active, json: full, created: false, proxyTrustedBy: [] };
	}
	const created = await api.createWorkflow(json);
	let active = false;
	if (options.activate) {
		const result = await api.activateWorkflow(created.id, created.versionId);
		active = result.active !== false;
	}
	return { file, id: created.id, name: created.name, versionId: created.versionId, active, json: created, created: true, proxyTrustedBy };
}

/**
 * The production URL of a webhook-driven trigger node, computed the way n8n does: `/webhook/<path>` for nodes
 * whose path is the whole path (the core Webhook node), `/webhook/<webhookId>/<path>` for the others.
 */
export function productionWebhookUrl(baseUrl: string, workflow: WorkflowJson, nodeName: string, typePath?: string): string {
	const node = workflow.nodes.find((n) => n.name === nodeName);
	if (!node) throw new Error(`workflow "${workflow.name}" has no node "${nodeName}"`);
	if (node.type === 'n8n-nodes-base.webhook' || node.type === 'n8n-nodes-base.formTrigger') {
		return `${baseUrl}/${node.type.endsWith('formTrigger') ? 'form' : 'webhook'}/${node.parameters.path}`;
	}
	if (!node.webhookId) throw new Error(`node "${nodeName}" has no webhookId`);
	if (!typePath) throw new Error(`the webhook path of ${node.type} is needed`);
	return `${baseUrl}/webhook/${node.webhookId}/${typePath}`;
}
