//! Tab completion for the terminal: kubectl verbs, resource types and object names, as kubectl's shell
//! completion offers them.
