import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	INodeCredentials,
	INodeCredentialsDetails,
} from 'n8n-workflow';

export interface HarnessCredential {
	type: ICredentialType;
	data: ICredentialDataDecryptedObject;
	id?: string;
	name?: string;
}

interface StoredCredential {
	type: ICredentialType;
	id: string;
	name: string;
	/** JSON text, like n8n's database row: only JSON-serialisable values survive a save. */
	json: string;
	preAuthenticationRuns: number;
}

/**
 * Stands in for n8n's credentials table: one saved credential per credential type. Tests
 * read `data()` to see what n8n would have persisted (for example a token written back by
 * `preAuthentication`) and `preAuthenticationCount()` to see how often a token was fetched.
 */
export class CredentialStore {
	private readonly byTypeName = new Map<string, StoredCredential>();

	constructor(credentials: HarnessCredential[]) {
		credentials.forEach((credential, index) => this.add(credential, index));
	}

	/** A copy of the currently stored data, as a fresh read from the database would return. */
	data(typeName: string): ICredentialDataDecryptedObject {
		return JSON.parse(this.get(typeName).json) as ICredentialDataDecryptedObject;
	}

	/** How many times the credential type's own `preAuthentication` ran (token fetches). */
	preAuthenticationCount(typeName: string): number {
		return this.get(typeName).preAuthenticationRuns;
	}

	type(typeName: string): ICredentialType {
		return this.get(typeName).type;
	}

	hasType(typeName: string): boolean {
		return this.byTypeName.has(typeName);
	}

	/** The `node.credentials` entry a workflow node carries to reference every stored credential. */
	nodeCredentials(): INodeCredentials {
		const references: INodeCredentials = {};
		for (const [typeName, { id, name }] of this.byTypeName) references[typeName] = { id, name };
		return references;
	}

	/** Looks a credential up the way n8n does: by id and type; n8n refuses a reference without id. */
	read(reference: INodeCredentialsDetails, typeName: string): ICredentialDataDecryptedObject {
		this.find(reference, typeName);
		return this.data(typeName);
	}

	write(
		reference: INodeCredentialsDetails,
		typeName: string,
		data: ICredentialDataDecryptedObject,
	): void {
		this.find(reference, typeName).json = JSON.stringify(data);
	}

	recordPreAuthentication(typeName: string): void {
		this.get(typeName).preAuthenticationRuns++;
	}

	private add({ type, data, id, name }: HarnessCredential, index: number): void {
		if (this.byTypeName.has(type.name)) {
			throw new Error(`CredentialStore holds one credential per type; "${type.name}" is given twice`);
		}
		this.byTypeName.set(type.name, {
			type,
			id: id ?? String(index + 1),
			name: name ?? `${type.displayName} account`,
			json: JSON.stringify(data),
			preAuthenticationRuns: 0,
		});
	}

	private get(typeName: string): StoredCredential {
		const stored = this.byTypeName.get(typeName);
		if (!stored) throw new Error(`CredentialStore holds no credential of type "${typeName}"`);
		return stored;
	}

	private find(reference: INodeCredentialsDetails, typeName: string): StoredCredential {
		const stored = this.byTypeName.get(typeName);
		if (!reference.id || stored?.id !== reference.id) {
			throw new Error(`Credential with ID "${reference.id}" does not exist for type "${typeName}".`);
		}
		return stored;
	}
}

export function toCredentialStore(credentials: CredentialStore | HarnessCredential[]): CredentialStore {
	return credentials instanceof CredentialStore ? credentials : new CredentialStore(credentials);
}
