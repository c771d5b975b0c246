/**
 * Groups, persons and invites, and every status change of them. Each change returns the webhook events it
 * causes, so the simulator can publish them; nothing here does I/O.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import { HttpError } from '../framework';
import {
	atomTime,
	deriveGroupStatus,
	isUuid,
	type GroupBody,
	type GroupStatus,
	type PersonBody,
	type PersonStatus,
	type StoredGroup,
	type StoredInvite,
	type StoredPerson,
} from './model';

export type IdinEventName = 'group.updated' | 'group.deleted' | 'person.updated' | 'person.deleted';

/** A webhook event in the document's shape and key order; `person` only on person events. */
export interface IdinEvent {
	id: string;
	event: IdinEventName;
	group: string;
	person?: string;
	status: GroupStatus | PersonStatus | null;
	created: string;
}

/** An event and the key whose webhook configuration receives it. */
export interface KeyedEvent {
	keyId: string;
	event: IdinEvent;
}

/** The invite URL's token: 70 letters and digits, like the document's example. */
const INVITE_TOKEN_LENGTH = 70;
const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class IdinStore {
	private groups = new Map<string, StoredGroup>();
	private persons = new Map<string, StoredPerson>();
	private invites = new Map<string, StoredInvite>();

	constructor(
		private readonly now: () => number,
		private readonly groupLifetimeMs: number,
	) {}

	clear(): void {
		this.groups = new Map();
		this.persons = new Map();
		this.invites = new Map();
	}

	allGroups(): StoredGroup[] {
		return [...this.groups.values()];
	}

	createGroup(keyId: string, body: GroupBody): StoredGroup {
		const now = this.now();
		const group: StoredGroup = {
			id: randomUUID(),
			keyId,
			name: body.name,
			status: 'pending',
			createdAt: now,
			updatedAt: now,
			expiresAt: now + this.groupLifetimeMs,
			personIds: [],
		};
		this.groups.set(group.id, group);
		return group;
	}

	addPerson(group: StoredGroup, body: PersonBody): StoredPerson {
		requirePending(group, 'add persons to');
		const now = this.now();
		const person: StoredPerson = {
			id: randomUUID(),
			groupId: group.id,
			name: body.name,
			emailAddress: body.emailAddress,
			attributes: body.attributes,
			redirectUrl: body.redirectUrl,
			status: null,
			result: null,
			createdAt: now,
			updatedAt: now,
		};
		this.persons.set(person.id, person);
		group.personIds.push(person.id);
		return person;
	}

	/** Every invite of a person stays usable until the person has a status or the group expires. */
	createInvite(group: StoredGroup, person: StoredPerson, email: boolean): StoredInvite {
		requireUntried(person);
		requirePending(group, 'invite persons of');
		const invite: StoredInvite = {
			id: randomUUID(),
			groupId: group.id,
			personId: person.id,
			token: inviteToken(),
			email,
			createdAt: this.now(),
			expiresAt: group.expiresAt,
		};
		this.invites.set(invite.token, invite);
		return invite;
	}

	/** A group as the key that created it sees it; any other key gets the same 404 as for an unknown id. */
	ownedGroup(keyId: string, groupId: string): StoredGroup {
		const group = this.group(groupId);
		if (group.keyId !== keyId) throw new HttpError(404, 'Group not found');
		return group;
	}

	memberOf(group: StoredGroup, personId: string): StoredPerson {
		const person = this.person(personId);
		if (person.groupId !== group.id) throw new HttpError(404, 'Person not found');
		return person;
	}

	group(groupId: string): StoredGroup {
		const group = isUuid(groupId) ? this.groups.get(groupId.toLowerCase()) : undefined;
		if (group === undefined) throw new HttpError(404, 'Group not found');
		return group;
	}

	person(personId: string): StoredPerson {
		const person = isUuid(personId) ? this.persons.get(personId.toLowerCase()) : undefined;
		if (person === undefined) throw new HttpError(404, 'Person not found');
		return person;
	}

	personsOf(group: StoredGroup): StoredPerson[] {
		return group.personIds.map((id) => this.person(id));
	}

	invitesOf(person: StoredPerson): StoredInvite[] {
		return [...this.invites.values()].filter((invite) => invite.personId === person.id);
	}

	invite(token: string): StoredInvite | undefined {
		return this.invites.get(token);
	}

	/** A person's one identification attempt ends: statuses are final, so only an untried person can settle. */
	settle(person: StoredPerson, status: PersonStatus, result: Record<string, unknown> | null): KeyedEvent[] {
		requireUntried(person);
		return this.changePerson(this.group(person.groupId), person, status, result, this.now());
	}

	/**
	 * What CM's scheduler does once a group's expires_at has passed: untried persons expire, then the group.
	 * The change is dated at expires_at, when it became true, not when the sandbox noticed.
	 */
	expireDue(): KeyedEvent[] {
		const now = this.now();
		return this.allGroups()
			.filter((group) => group.status === 'pending' && now >= group.expiresAt)
			.flatMap((group) => [
				...this.personsOf(group)
					.filter((person) => person.status === null)
					.flatMap((person) => this.changePerson(group, person, 'expired', null, group.expiresAt)),
				...this.refreshGroup(group, group.expiresAt),
			]);
	}

	deletePerson(person: StoredPerson): KeyedEvent[] {
		const group = this.group(person.groupId);
		this.forget(person);
		group.personIds = group.personIds.filter((id) => id !== person.id);
		return [personEvent(group, person, 'person.deleted', this.now()), ...this.refreshGroup(group, this.now())];
	}

	/** Its persons go first, each with its own event, then the group. */
	deleteGroup(group: StoredGroup): KeyedEvent[] {
		const persons = this.personsOf(group);
		persons.forEach((person) => this.forget(person));
		this.groups.delete(group.id);
		const now = this.now();
		return [
			...persons.map((person) => personEvent(group, person, 'person.deleted', now)),
			groupEvent(group, 'group.deleted', now),
		];
	}

	private changePerson(
		group: StoredGroup,
		person: StoredPerson,
		status: PersonStatus,
		result: Record<string, unknown> | null,
		at: number,
	): KeyedEvent[] {
		person.status = status;
		person.result = result;
		person.updatedAt = at;
		return [personEvent(group, person, 'person.updated', at), ...this.refreshGroup(group, at)];
	}

	/**
	 * A pending group takes the status its persons now give it; any other status is final, so a group.updated event
	 * announces each group's outcome once.
	 */
	private refreshGroup(group: StoredGroup, at: number): KeyedEvent[] {
		if (group.status !== 'pending') return [];
		const status = deriveGroupStatus(group, this.personsOf(group), at);
		if (status === 'pending') return [];
		group.status = status;
		group.updatedAt = at;
		return [groupEvent(group, 'group.updated', at)];
	}

	private forget(person: StoredPerson): void {
		this.persons.delete(person.id);
		for (const invite of this.invitesOf(person)) this.invites.delete(invite.token);
	}
}

function requirePending(group: StoredGroup, action: string): void {
	if (group.status !== 'pending') throw new HttpError(409, `Cannot ${action} a group that is ${group.status}`);
}

function requireUntried(person: StoredPerson): void {
	if (person.status !== null) throw new HttpError(409, `The person's identification is already ${person.status}`);
}

function groupEvent(group: StoredGroup, event: IdinEventName, at: number): KeyedEvent {
	return {
		keyId: group.keyId,
		event: { id: randomUUID(), event, group: group.id, status: group.status, created: atomTime(at) },
	};
}

function personEvent(group: StoredGroup, person: StoredPerson, event: IdinEventName, at: number): KeyedEvent {
	return {
		keyId: group.keyId,
		event: { id: randomUUID(), event, group: group.id, person: person.id, status: person.status, created: atomTime(at) },
	};
}

function inviteToken(): string {
	return Array.from(randomBytes(INVITE_TOKEN_LENGTH), (byte) => TOKEN_ALPHABET[byte % TOKEN_ALPHABET.length]).join('');
}
