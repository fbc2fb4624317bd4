/** The composer's rich text: a contenteditable area with the browser's own editing commands
 * and DOMPurify keeping only what the API's sanitizer allows (bold, italic, lists, links). */
import DOMPurify from "dompurify";
import { useEffect, useRef } from "preact/hooks";

const ALLOWED = {
  ALLOWED_TAGS: ["p", "br", "b", "strong", "i", "em", "ul", "ol", "li", "a", "div"],
  ALLOWED_ATTR: ["href"],
  ALLOWED_URI_REGEXP: /^(https?:|mailto:)/i,
};

/** What the API may store and show; also applied to what it sends back, to be sure. */
export function clean(html: string): string {
  return DOMPurify.sanitize(html, ALLOWED);
}

export function isEmpty(html: string): boolean {
  const probe = document.createElement("div");
  probe.innerHTML = clean(html);
  return (probe.textContent ?? "").trim() === "";
}

interface Props {
  label: string;
  value: string;
  onInput: (html: string) => void;
  onSubmit: () => void;
  onTyping?: () => void;
  disabled?: boolean;
}

export function RichText({ label, value, onInput, onSubmit, onTyping, disabled }: Props) {
  const area = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Only an outside change (a send clearing the draft) rewrites the area.
    if (area.current && value === "" && area.current.innerHTML !== "") area.current.innerHTML = "";
  }, [value]);

  const command = (name: string, argument?: string) => {
    area.current?.focus();
    document.execCommand(name, false, argument);
    onInput(clean(area.current?.innerHTML ?? ""));
  };
  const link = () => {
    const address = window.prompt("Link address (https://…)");
    if (address && /^(https?:|mailto:)/i.test(address.trim())) command("createLink", address.trim());
  };
  const button = (name: string, text: string, action: () => void, shortcut?: string) => (
    <button
      type="button"
      class="tool"
      aria-label={name}
      title={shortcut ? `${name} (${shortcut})` : name}
      onMouseDown={(event) => event.preventDefault()}
      onClick={action}
      disabled={disabled}
    >
      {text}
    </button>
  );

  return (
    <div class="editor">
      <div class="toolbar" role="toolbar" aria-label="Formatting">
        {button("Bold", "B", () => command("bold"), "Ctrl+B")}
        {button("Italic", "I", () => command("italic"), "Ctrl+I")}
        {button("Bulleted list", "•", () => command("insertUnorderedList"))}
        {button("Numbered list", "1.", () => command("insertOrderedList"))}
        {button("Link", "Link", link)}
      </div>
      <div
        ref={area}
        class="area"
        role="textbox"
        aria-multiline="true"
        aria-label={label}
        contentEditable={!disabled}
        onInput={() => {
          onInput(clean(area.current?.innerHTML ?? ""));
          onTyping?.();
        }}
        onPaste={(event) => {
          event.preventDefault();
          const html = event.clipboardData?.getData("text/html");
          const text = event.clipboardData?.getData("text/plain") ?? "";
          document.execCommand(html ? "insertHTML" : "insertText", false, html ? clean(html) : text);
        }}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            onSubmit();
          }
        }}
      />
    </div>
  );
}
