/**
 * Removes credentials from text and data before it leaves the node in an error, an output item or a log line.
 * Redaction is layered: literal secrets the caller knows about, then anything shaped like a credential
 * (HTTP auth schemes, JWTs, secret-named fields), because providers echo requests back in unpredictable ways.
 */

export const REDACTED = '[redacted]';

/** Shorter values would also match ordinary words and numbers and wreck the message without protecting much. */
const MIN_LITERAL_SECRET_LENGTH = 4;

/** Field names (compared lower-case, without `_` and `-`) whose values are credentials. */
const SECRET_FIELD_NAMES = new Set([
	'password',
	'passwd',
	'token',
	'accesstoken',
	'refreshtoken',
	'idtoken',
	'clientsecret',
	'secret',
	'authorization',
	'proxyauthorization',
	'keysecret',
	'apikey',
	'xapikey',
	'privatekey',
]);

/** Credentials are long; the length floor keeps prose such as "basic auth" readable. */
const AUTH_SCHEME_PATTERN = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi;

const JWT_PATTERN = /\beyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/**
 * `name: value`, `name=value`, `"name": "value"` and `'name': 'value'` (JSON, form bodies, query strings,
 * header dumps, util.inspect output). The name is checked in the replacer so camelCase and snake_case
 * spellings share one list. A value already redacted as a literal secret is matched whole.
 */
const FIELD_PATTERN =
	/(["']?)\b([A-Za-z][\w-]*)\1(\s*[:=]\s*)(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|((?:(?:Bearer|Basic)\s+)?(?:\[redacted\]|[^\s&,;"'}\]]+)))/g;

export type SecretList = Iterable<string | undefined | null>;

export function isSecretFieldName(name: string): boolean {
	return SECRET_FIELD_NAMES.has(name.toLowerCase().replace(/[_-]/g, ''));
}

export function redactSecrets(text: string, secrets: SecretList = []): string {
	let result = text;
	for (const secret of literalVariants(secrets)) {
		result = result.split(secret).join(REDACTED);
	}
	// Fields first: `Authorization: Bearer x` then loses the scheme together with its value.
	return redactFields(result)
		.replace(AUTH_SCHEME_PATTERN, `$1 ${REDACTED}`)
		.replace(JWT_PATTERN, REDACTED);
}

/** Deep copy of JSON-like data with secret-named fields blanked and every string passed through {@link redactSecrets}. */
export function redactValue<T>(value: T, secrets: SecretList = []): T {
	// Listed once: a generator could be walked only once, and it is needed for every string.
	const literals = [...secrets];
	return copyRedacted(value, literals, new WeakSet()) as T;
}

function copyRedacted(value: unknown, secrets: SecretList, ancestors: WeakSet<object>): unknown {
	if (typeof value === 'string') return redactSecrets(value, secrets);
	if (value === null || typeof value !== 'object') return value;
	if (!Array.isArray(value) && !isPlainObject(value)) return value;
	if (ancestors.has(value)) return '[circular]';
	ancestors.add(value);
	const copy = Array.isArray(value)
		? value.map((entry) => copyRedacted(entry, secrets, ancestors))
		: Object.fromEntries(
				Object.entries(value).map(([key, entry]) => [
					key,
					isSecretFieldName(key) && entry !== null && entry !== undefined
						? REDACTED
						: copyRedacted(entry, secrets, ancestors),
				]),
			);
	ancestors.delete(value);
	return copy;
}

function isPlainObject(value: object): boolean {
	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

/** A secret can reach the text URL-encoded (query strings, form bodies) or JSON-escaped (nested JSON). */
function literalVariants(secrets: SecretList): string[] {
	const variants = new Set<string>();
	for (const secret of secrets) {
		if (typeof secret !== 'string' || secret.length < MIN_LITERAL_SECRET_LENGTH) continue;
		variants.add(secret);
		variants.add(encodeURIComponent(secret));
		variants.add(JSON.stringify(secret).slice(1, -1));
	}
	// Longest first, so a secret that contains another one is removed whole.
	return [...variants].sort((a, b) => b.length - a.length);
}

function redactFields(text: string): string {
	const pattern = new RegExp(FIELD_PATTERN.source, 'g');
	let redacted = '';
	let copiedUpTo = 0;
	for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
		const [whole, quote, name, separator, doubleQuoted, singleQuoted] = match;
		if (!isSecretFieldName(name)) {
			// Resume right after the name: what looked like this field's value may be the next field
			// (`error: token=abc`).
			pattern.lastIndex = match.index + quote.length + name.length;
			continue;
		}
		const value =
			doubleQuoted !== undefined
				? `"${REDACTED}"`
				: singleQuoted !== undefined
					? `'${REDACTED}'`
					: REDACTED;
		redacted += `${text.slice(copiedUpTo, match.index)}${quote}${name}${quote}${separator}${value}`;
		copiedUpTo = match.index + whole.length;
	}
	return redacted + text.slice(copiedUpTo);
}
