import { apiClient, TESTROBOT_DELAY_MS, useSimulator } from './testing';

const context = useSimulator();
const api = apiClient(context);

async function identified(): Promise<string> {
	const answer = await api('PUT', 'putOrder', { body: { Product: 12, Autotest: 'POSITIVE' } });
	await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
	return answer.body.OrderID;
}

describe('faults through the framework', () => {
	it('answers 429 with Retry-After and 503 in the IDnow error shape, without running the call', async () => {
		context.idnow.queueFault({ kind: 'status', status: 429, retryAfter: 7, path: '/api/2.10/putOrder' });
		const limited = await api('PUT', 'putOrder', { body: { Product: 12 } });
		expect(limited).toMatchObject({ status: 429, body: { Error: 'Too many requests' } });
		expect(limited.headers.get('retry-after')).toBe('7');
		expect(context.idnow.orders()).toEqual([]);
		context.idnow.queueFault({ kind: 'status', status: 503, path: '/api/2.10/getStatus/*' });
		const orderId = (await api('PUT', 'putOrder', { body: { Product: 12 } })).body.OrderID;
		expect(await api('GET', `getStatus/${orderId}`)).toMatchObject({
			status: 503,
			body: { Error: 'Service unavailable' },
		});
		expect((await api('GET', `getStatus/${orderId}`)).status).toBe(200);
	});

	it('cuts a PDF download in half (truncate) and lets a call hang until the client gives up', async () => {
		const orderId = await identified();
		context.idnow.queueFault({ kind: 'truncate', path: '/api/2.10/getIdentDataPDF/*' });
		await expect(api('GET', `getIdentDataPDF/${orderId}`)).rejects.toThrow();
		context.idnow.queueFault({ kind: 'hang', path: '/api/2.10/getIdentData/*' });
		const hanging = fetch(`${context.base}/api/2.10/getIdentData/${orderId}`, { signal: AbortSignal.timeout(200) });
		await expect(hanging).rejects.toThrow();
		expect(context.idnow.countRequests({ path: '/api/2.10/getIdentData/*' })).toBe(1);
	});

	it('truncates a streamed video too', async () => {
		const orderId = await identified();
		context.idnow.queueFault({ kind: 'truncate', path: '/api/2.10/getVideoFileBinary/*' });
		await expect(api('GET', `getVideoFileBinary/${orderId}`)).rejects.toThrow();
	});
});
