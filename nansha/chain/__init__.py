"""The industry chain graph (/chain/): segments upstream to downstream with their enterprises, and the gaps."""
