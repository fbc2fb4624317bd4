"""What the services need from the world, as Protocols, each as narrow as its callers. The
adapters in `firmchat.adapters` implement them; the testkit's fakes stand in for them."""
