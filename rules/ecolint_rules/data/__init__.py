"""ECO5xx: data science (pandas, numpy, torch): row-by-row work that the libraries vectorise."""
