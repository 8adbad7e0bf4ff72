import { Module } from '@nestjs/common';

import { Notifier } from './notifier.js';

/** The notification outbox: rows written in the transaction of the command they tell about (Notifier). */
@Module({
  providers: [Notifier],
  exports: [Notifier],
})
export class NotificationsModule {}
