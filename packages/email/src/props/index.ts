export * from "./common.ts";
export * from "./customer.ts";
export * from "./organization.ts";
