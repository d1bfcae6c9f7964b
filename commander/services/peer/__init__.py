"""Sync without a server: peers on the local network, admitted by key, exchanging ops and files."""
