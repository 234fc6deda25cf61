//! Synthetic commuting surveys.
