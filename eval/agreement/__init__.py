"""Inter-annotator agreement: F1 both ways, Cohen's kappa over token labels, and its Markdown rendering."""
