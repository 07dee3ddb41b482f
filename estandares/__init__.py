"""The versioned catalogue of technical standards and the compliance engine (the model app);
announces a published edition with a signal."""
