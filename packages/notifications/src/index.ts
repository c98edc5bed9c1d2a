export type { NotificationDeps } from "./deps.ts";
export { NotificationError, type NotificationErrorCode } from "./errors.ts";
export type { Notice, NoticeOrSkip } from "./notice.ts";
export { notices, type NotificationTaskId } from "./notices/index.ts";
export { sendNotification, type NotificationResult } from "./send-notification.ts";
