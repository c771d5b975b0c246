/** The resources of IDnow part 2 (recordings, eSign, phone verification, sign-me, system, account). */
import type { ResourceDefinition } from '../../shared/resources';
import { account } from './account';
import { eSign } from './esign';
import { phoneVerification } from './phoneVerification';
import { recording } from './recording';
import { signMe } from './signMe';
import { system } from './system';

export const part2Resources: ResourceDefinition[] = [recording, eSign, phoneVerification, signMe, system, account];
