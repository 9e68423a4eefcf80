import styles from "./roles.module.css";

/** The page's two halves, for getting past a long list of roles. */
export function JumpLinks() {
  return (
    <nav aria-label="On this page" className={styles.jump}>
      <a href="#roles">Roles</a>
      <a href="#policies">Policies</a>
    </nav>
  );
}
