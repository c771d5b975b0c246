/**
 * Every link from the editor into our documentation lands on a heading that exists: each credential's
 * documentationUrl and each codex file's links to this repository's README, resolved the way GitHub makes anchors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(__dirname, '../../..');
const README_URL = 'https://github.com/n8n-nodes-identity-verification/n8n-nodes-identity-verification';

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function githubAnchors(markdown: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	const withoutCode = markdown.replace(/```[\s\S]*?```/g, '');
	for (const [, heading] of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
		const slug = heading
			.replace(/`/g, '')
			.toLowerCase()
			.replace(/[^\p{L}\p{N}\s_-]/gu, '')
			.replace(/\s/g, '-');
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		anchors.add(count === 0 ? slug : `${slug}-${count}`);
	}
	return anchors;
}

function filesUnder(dir: string, suffix: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return filesUnder(path, suffix);
		return entry.name.endsWith(suffix) ? [path] : [];
	});
}

/** The sources may state a URL in a constants file, so every README link in nodes/ and credentials/ is checked. */
function readmeLinksIn(files: string[]): Array<{ file: string; anchor: string }> {
	return files.flatMap((file) =>
		[...readFileSync(file, 'utf8').matchAll(/https:\/\/github\.com\/n8n-nodes-identity-verification\/n8n-nodes-identity-verification#([\w-]+)/g)].map(
			(match) => ({ file: file.slice(REPO.length + 1), anchor: match[1] }),
		),
	);
}

const anchors = githubAnchors(readFileSync(join(REPO, 'README.md'), 'utf8'));
const sources = [...filesUnder(join(REPO, 'nodes'), '.ts'), ...filesUnder(join(REPO, 'credentials'), '.ts')];
const codexFiles = filesUnder(join(REPO, 'nodes'), '.node.json');

describe('links from the editor into the README', () => {
	it('computes anchors the way GitHub does', () => {
		expect([...githubAnchors('# A\n## eeID: nodes\n### IDnow identity.TM API\n## A\n```\n# not a heading\n```')]).toEqual([
			'a',
			'eeid-nodes',
			'idnow-identitytm-api',
			'a-1',
		]);
	});

	it('every credential has a documentationUrl into the README', () => {
		const credentialFiles = filesUnder(join(REPO, 'credentials'), '.credentials.ts');
		expect(credentialFiles.length).toBeGreaterThanOrEqual(4);
		const linked = readmeLinksIn([...credentialFiles, ...filesUnder(join(REPO, 'nodes'), 'constants.ts')]);
		for (const file of credentialFiles) {
			const text = readFileSync(file, 'utf8');
			expect({ file, documented: /documentationUrl\s*=/.test(text) }).toEqual({ file, documented: true });
		}
		expect(linked.length).toBeGreaterThanOrEqual(credentialFiles.length);
	});

	it.each(readmeLinksIn(sources).map((link) => [link.file, link.anchor]))('%s links to an existing heading (#%s)', (_file, anchor) => {
		expect(anchors).toContain(anchor);
	});

	it.each(codexFiles.map((file) => [file.slice(REPO.length + 1)]))('%s links to existing headings', (file) => {
		const codex = JSON.parse(readFileSync(join(REPO, file), 'utf8'));
		const urls: string[] = Object.values(codex.resources as Record<string, Array<{ url: string }>>).flat().map((entry) => entry.url);
		const ours = urls.filter((url) => url.startsWith(`${README_URL}#`));
		expect(ours.length).toBeGreaterThan(0);
		for (const url of ours) expect(anchors).toContain(url.slice(README_URL.length + 1));
	});
});
