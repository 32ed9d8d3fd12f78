import { actionLinks } from './action-links.ts';
import { concurrentDispatch } from './concurrent-dispatch.ts';
import { duplicateDelivery } from './duplicate-delivery.ts';
import { floodGuard } from './flood-guard.ts';
import { hostileText } from './hostile-text.ts';
import { mailOutage } from './mail-outage.ts';
import { poisonMessages } from './poison-messages.ts';
import { storageOutage } from './storage-outage.ts';

/** Every reliability scenario, in the order of docs/reliability.md. */
export const SCENARIOS = [duplicateDelivery, poisonMessages, concurrentDispatch, mailOutage, storageOutage, hostileText, actionLinks, floodGuard];
