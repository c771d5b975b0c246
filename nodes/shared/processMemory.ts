/**
 * Memory this n8n process keeps per scope (a trigger: workflow id + node id) for what a webhook cannot trust to
 * static data: the deliveries of dedupe.ts, the pending browser states of browserState.ts. Bounded both ways: at
 * most `maxScopes` scopes (the oldest goes first), and each scope's entries pruned oldest first.
 */

export interface ScopedMemory<V> {
	/** The scope's entries, or undefined when it has none: asking never creates a scope. */
	find(scope: string): Map<string, V> | undefined;
	/** The scope's entries, created when it has none (the oldest scope is dropped when all places are taken). */
	open(scope: string): Map<string, V>;
}

export function scopedMemory<V>(maxScopes: number): ScopedMemory<V> {
	const scopes = new Map<string, Map<string, V>>();
	return {
		find: (scope) => scopes.get(scope),
		open(scope) {
			let entries = scopes.get(scope);
			if (!entries) {
				if (scopes.size >= maxScopes) scopes.delete(scopes.keys().next().value as string);
				entries = new Map();
				scopes.set(scope, entries);
			}
			return entries;
		},
	};
}

/**
 * Drops entries oldest first (Maps keep insertion order) while the oldest one left is stale or there are more than
 * `maxEntries`.
 */
export function dropOldest<V>(entries: Map<string, V>, maxEntries: number, isStale: (value: V) => boolean): void {
	for (const [key, value] of entries) {
		if (!isStale(value) && entries.size <= maxEntries) break;
		entries.delete(key);
	}
}
