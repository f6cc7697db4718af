// Slot for the page-wide cluster freshness banner; the fleet/tenants UI fills it in.
export default function BannerSlot() {
  return null;
}
