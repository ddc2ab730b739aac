"""Each chapter's science: configs, measures and asset builders for one chapter (same name as its page)."""
