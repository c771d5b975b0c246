import type { IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

/**
 * n8n loads a community package's nodes as `<package name>.<node name>`; using the same
 * type names keeps anything that compares node types (credential restrictions, webhook
 * checks) behaving as it will for a user who installs the package.
 */
const PACKAGE_NAME = 'n8n-nodes-identity-verification';

export type AnyNodeType = INodeType | IVersionedNodeType;

export function installedTypeName(nodeType: AnyNodeType): string {
	return `${PACKAGE_NAME}.${nodeType.description.name}`;
}

/** The version n8n gives a newly added node: the default version, else the newest one. */
export function defaultTypeVersion(nodeType: AnyNodeType): number {
	if ('nodeVersions' in nodeType) return nodeType.currentVersion;
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

/** The `INodeTypes` registry a `Workflow` resolves its nodes against. */
export class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, AnyNodeType>) {}

	getByName(typeName: string): AnyNodeType {
		const nodeType = this.types[typeName];
		if (!nodeType) throw new Error(`Unknown node type "${typeName}"`);
		return nodeType;
	}

	getByNameAndVersion(typeName: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(typeName), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}
