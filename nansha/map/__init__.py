"""The investor map (/): its layers, URL state, marker data with facet counts, and exports of the filtered result."""
