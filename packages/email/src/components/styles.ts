/** The few colours every template shares, so they change in one place. */
export const colors = {
  page: "#f4f4f5",
  card: "#ffffff",
  text: "#18181b",
  muted: "#71717a",
  border: "#e4e4e7",
  accent: "#4f46e5",
  danger: "#b91c1c",
} as const;
