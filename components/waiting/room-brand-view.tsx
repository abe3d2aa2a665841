import type { RoomBrand } from "./room-brand";
import styles from "./waiting.module.css";

/** The room as its visitors know it: its logo, if any, and its display name. */
export function RoomBrandHeader({ brand }: { brand: RoomBrand }) {
  return (
    <div className={styles.brand}>
      {brand.logoUrl ? (
        // A plain <img>: the logo lives on the operator's host, not ours, so Next's image
        // optimizer (which would fetch it server-side) has no business with it. No referrer:
        // the waiting page's URL names the room and where the visitor is going.
        // biome-ignore lint/performance/noImgElement: an outside logo, see above
        <img
          className={styles.brandLogo}
          src={brand.logoUrl}
          alt={brand.displayName}
          loading="eager"
          referrerPolicy="no-referrer"
          decoding="async"
          data-testid="room-logo"
        />
      ) : null}
      <p className={styles.roomName} data-testid="room-display-name">
        {brand.displayName}
      </p>
    </div>
  );
}

/** The room's short message, as plain text (React escapes it; line breaks are kept). */
export function RoomNotice({ brand }: { brand: RoomBrand }) {
  if (!brand.message) return null;
  return (
    <p className={styles.notice} data-testid="room-message">
      {brand.message}
    </p>
  );
}
