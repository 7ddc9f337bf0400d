"""The e-CMS exchange: letters to and from other agencies through the government hub."""
