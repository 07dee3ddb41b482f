"""The console's pages, one module per thing the office configures, and `pedidos`, which
asks for each change under dual control."""
