"""Sharing the site beyond it: QR codes of a view or brief (nansha.share.qr) and the map in other sites' frames
(nansha.share.embed)."""
