//! HPACK header compression (RFC 7541). Placeholder until the module lands.
