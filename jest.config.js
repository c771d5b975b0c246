/** Unit and integration tests; the end-to-end suite against real n8n runs separately (npm run test:e2e). */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { diagnostics: false }],
		// jose ships ES modules only; tsup bundles it for n8n, and jest (CommonJS) needs it transpiled the same way.
		'^.+/node_modules/jose/.+\\.js$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true } }],
	},
	transformIgnorePatterns: ['/node_modules/(?!jose/)'],
	testTimeout: 30000,
};
