// Style objects shared by every template in emails/ (inline styles: mail clients ignore <style>).

const font =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

export const styles = {
  body: { backgroundColor: "#f4f4f5", fontFamily: font, margin: 0, padding: "32px 0" },
  container: { maxWidth: "560px", margin: "0 auto", padding: "0 16px" },
  wordmark: { fontSize: "18px", fontWeight: 700, color: "#18181b", margin: "0 0 16px" },
  card: {
    backgroundColor: "#ffffff",
    border: "1px solid #e4e4e7",
    borderRadius: "8px",
    padding: "32px",
  },
  heading: { fontSize: "20px", lineHeight: "28px", fontWeight: 600, color: "#18181b", margin: 0 },
  text: { fontSize: "15px", lineHeight: "24px", color: "#27272a", margin: "16px 0" },
  link: { color: "#4338ca", textDecoration: "underline" },
  buttonRow: { margin: "24px 0" },
  button: {
    backgroundColor: "#18181b",
    borderRadius: "6px",
    color: "#ffffff",
    fontSize: "15px",
    fontWeight: 600,
    padding: "12px 20px",
  },
  small: { fontSize: "13px", lineHeight: "20px", color: "#52525b", margin: "8px 0" },
  url: {
    fontSize: "13px",
    lineHeight: "20px",
    color: "#27272a",
    margin: "0",
    wordBreak: "break-all" as const,
  },
  hr: { borderColor: "#e4e4e7", margin: "24px 0 16px" },
};
