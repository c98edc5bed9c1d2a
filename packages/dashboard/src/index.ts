export { dashboardRoutes, type DashboardDeps, type DocumentSigner } from "./dashboard-routes.tsx";
export { SESSION_COOKIE } from "./guard.ts";
