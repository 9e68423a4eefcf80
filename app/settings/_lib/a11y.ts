// Hidden on screen, still read by screen readers: labels for controls whose meaning the layout
// already shows (a search box, a picker inside a table row). Inline because the shared
// stylesheet has no such utility class.
export const visuallyHidden = {
  position: "absolute",
  width: 1,
  height: 1,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
} as const;
