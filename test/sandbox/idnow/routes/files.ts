/**
 * Chapters 3.9 to 3.11: video provisioning (the callback on the sandbox clock), the video itself (streamed, a
 * placeholder before provisioning completes, /crypt encrypted as it streams) and the voice files.
 */
import { createHash } from 'node:crypto';

import { HttpError, streamResponse } from '../../framework';
import type { Engine } from '../engine';
import { isHttpUrl } from '../format';
import { silentMp3 } from '../media';
import type { StoredOrder } from '../types';
import {
	answer,
	apiRoute,
	emptyAnswer,
	JSON_TYPE,
	jsonObject,
	requireFinal,
	variantsOf,
	type ApiContext,
} from './common';

const VOICE_SECONDS = 2;

export function registerFileRoutes(context: ApiContext): void {
	const { engine } = context;

	apiRoute(context, 'POST', 'getVideoFileBinaryAsync/:orderId', (request, account) => {
		const { callbackUrl } = jsonObject(request);
		const order = engine.store.withData(account.user, request.params.orderId);
		requireVideo(engine, order);
		if (!isHttpUrl(callbackUrl)) {
			throw new HttpError(400, 'callbackUrl: is required and must be an absolute http(s) URL');
		}
		engine.requestVideo(order, callbackUrl);
		return emptyAnswer(200);
	});

	apiRoute(context, 'GET', 'getVideoFileBinary/:orderId/*', (request, account) => {
		const variants = variantsOf(request, 'getVideoFileBinary', ['crypt']);
		const order = engine.store.withData(account.user, request.params.orderId);
		requireVideo(engine, order);
		const file = engine.videoFile(order);
		if (variants.has('crypt')) {
			return engine.crypt.respond(account.settings.aesKey, request.path, engine.now(), file.mime, { file });
		}
		return streamResponse(200, file.stream(), file.mime, { 'content-length': String(file.length) });
	});

	apiRoute(context, 'GET', 'getVoiceFiles/:orderId/*', (request, account) => {
		const variants = variantsOf(request, 'getVoiceFiles', ['crypt']);
		const order = engine.store.withData(account.user, request.params.orderId);
		requireFinal(engine, order);
		const value = { Voicefiles: voiceFiles(engine, order) };
		return answer(context, request, account, variants.has('crypt'), JSON_TYPE, Buffer.from(JSON.stringify(value)));
	});
}

function requireVideo(engine: Engine, order: StoredOrder): void {
	requireFinal(engine, order);
	if (!engine.hasVideoRecording(order)) {
		throw new HttpError(
			400,
			'No video recording for this order (final status 6 or 89 of a recorded video identification required)',
		);
	}
}

/** One recording of the video call when the account keeps voice files; none otherwise. */
function voiceFiles(engine: Engine, order: StoredOrder): Array<{ Filename: string; Base64Data: string }> {
	if (!engine.settingsOf(order).recordVoice || order.result?.method !== 'Video') return [];
	const number = createHash('sha256').update(order.id).digest().readUInt16BE(0) % 10_000;
	return [{ Filename: `sound_${number}.mp3`, Base64Data: silentMp3(VOICE_SECONDS).toString('base64') }];
}
