"""Score reports and system comparisons, and their JSON, Markdown, HTML and error-list renderings."""
