//! The terminal's shell: being written (see the commit that fills it in).
