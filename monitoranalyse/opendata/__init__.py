"""opendata"""
