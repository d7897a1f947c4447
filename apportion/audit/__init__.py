"""The auditor's check: recompute a budget's outputs and compare them with a folder."""
