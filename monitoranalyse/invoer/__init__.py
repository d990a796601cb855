"""invoer"""
