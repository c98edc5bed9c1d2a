export { dashboardRoutes, type DashboardDeps } from "./dashboard-routes.tsx";
export { SESSION_COOKIE } from "./guard.ts";
